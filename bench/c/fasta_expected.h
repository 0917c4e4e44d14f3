/* Checksums of the fasta output (see fasta.c's sink) — the same constants in every port. */
#define FASTA_1000 60281910
#define FASTA_1000_BYTES 10245
#define FASTA_25000 922466686
#define FASTA_25000_BYTES 254245
#define FASTA_250000 928422222
#define FASTA_250000_BYTES 2541745
