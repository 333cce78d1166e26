// SPDX-License-Identifier: GPL-2.0
/* The one place kvgrow's tracepoints are instantiated. */
#define CREATE_TRACE_POINTS
#include "kvg_trace.h"
