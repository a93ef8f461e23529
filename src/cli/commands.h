/* commands.h — the command-line verbs. Each takes the arguments after its own name
 * (argv[0] is the verb) and returns a process exit status (core/err.h enum bt_exit).
 * Commands are the only code that prints to stdout/stderr besides src/ui/. */
#ifndef BT_CLI_COMMANDS_H
#define BT_CLI_COMMANDS_H

int bt_cmd_analyze(int argc, char **argv);      /* cli/cmd_analyze.c */
int bt_cmd_boards(int argc, char **argv);       /* cli/cmd_boards.c */
int bt_cmd_probe_recovery(int argc, char **argv); /* cli/cmd_probe_recovery.c */
int bt_cmd_probe_supply(int argc, char **argv); /* cli/cmd_probe_supply.c */
int bt_cmd_case(int argc, char **argv);         /* cli/cmd_case.c */
int bt_cmd_report(int argc, char **argv);       /* cli/cmd_report.c */
int bt_cmd_stats(int argc, char **argv);        /* cli/cmd_stats.c */
int bt_cmd_tui(int argc, char **argv);          /* cli/cmd_tui.c: `benchtriage` and `demo` */

#endif
