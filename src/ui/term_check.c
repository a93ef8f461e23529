/* term_check.c — ask terminfo before newterm(): a newterm() that fails keeps memory it never
 * frees, a failed setupterm() does not. */
#include "ui/term_check.h"

#include <unistd.h>

#include <curses.h>
#include <term.h>

bool bt_ui_terminal_usable(void)
{
	int err = 0;
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return false;
	del_curterm(cur_term);
	return true;
}
