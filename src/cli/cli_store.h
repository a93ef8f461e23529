/* cli_store.h — what the case, report and stats commands share: opening the case store and
 * loading board profiles, each saying on stderr what went wrong. */
#ifndef BT_CLI_STORE_H
#define BT_CLI_STORE_H

#include "engine/board.h"
#include "store/store.h"

/* Opens the store under $BENCHTRIAGE_HOME; on failure prints one line and returns the exit
 * status (BT_EXIT_OK on success). The caller closes *st. */
int bt_cli_open_store(struct bt_store **st);
/* Board profiles for the engine; warns when none were found (the ranking would be flat
 * priors). Never NULL; the caller frees. */
struct bt_boards *bt_cli_load_boards(void);

#endif
