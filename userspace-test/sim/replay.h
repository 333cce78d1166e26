/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVG_SIM_REPLAY_H
#define _KVG_SIM_REPLAY_H

int cmd_replay(int argc, char **argv);

#endif
