/* The AWFY suite's PRNG. */
static int som_seed = 74755;
static void som_random_reset(void) { som_seed = 74755; }
static int som_random_next(void) { som_seed = ((som_seed * 1309) + 13849) & 65535; return som_seed; }
