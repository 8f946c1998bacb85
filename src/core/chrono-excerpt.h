/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-source.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_EXCERPT (chrono_excerpt_get_type ())

G_DECLARE_FINAL_TYPE (ChronoExcerpt, chrono_excerpt, CHRONO, EXCERPT, GObject)

const char   *chrono_excerpt_get_id     (ChronoExcerpt *self);
const char   *chrono_excerpt_get_quote  (ChronoExcerpt *self);
const char   *chrono_excerpt_get_lang   (ChronoExcerpt *self);
ChronoSource *chrono_excerpt_get_source (ChronoExcerpt *self);
gint64        chrono_excerpt_get_offset (ChronoExcerpt *self);
gint64        chrono_excerpt_get_length (ChronoExcerpt *self);

char         *chrono_excerpt_dup_quoted   (ChronoExcerpt *self);
char         *chrono_excerpt_dup_citation (ChronoExcerpt *self);

G_END_DECLS
