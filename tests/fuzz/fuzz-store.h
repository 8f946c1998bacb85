/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "chrono-store.h"

G_BEGIN_DECLS

void fuzz_init            (void);
void fuzz_check_utf8_for  (const char  *what,
                           const char  *text);
void fuzz_read_back       (ChronoStore *store);

/* Names the call in the message: fuzz_check_utf8 (error->message) */
#define fuzz_check_utf8(text) fuzz_check_utf8_for (#text, (text))

G_END_DECLS
