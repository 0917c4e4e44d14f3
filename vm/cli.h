/*
** vm/cli.h — pieces of the `kiln` command line (vm/main.c) kept in their own files.
** Not part of libkiln.
*/
#ifndef KILN_CLI_H
#define KILN_CLI_H

/* `kiln compare [--runs=N] [run options] FILE [args...]` (vm/cli_compare.c):
** argv holds what follows "compare". Returns the process's exit status. */
int cli_compare(int argc, char **argv);

#endif
