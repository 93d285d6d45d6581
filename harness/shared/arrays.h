/* SPDX-License-Identifier: GPL-2.0 */
/* The number of elements of an array (not of a pointer). */
#ifndef OOMLAB_ARRAYS_H
#define OOMLAB_ARRAYS_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
