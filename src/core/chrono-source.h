/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CHRONO_TYPE_SOURCE (chrono_source_get_type ())

G_DECLARE_FINAL_TYPE (ChronoSource, chrono_source, CHRONO, SOURCE, GObject)

const char *chrono_source_get_id        (ChronoSource *self);
const char *chrono_source_get_title     (ChronoSource *self);
const char *chrono_source_get_outlet    (ChronoSource *self);
const char *chrono_source_get_author    (ChronoSource *self);
const char *chrono_source_get_published (ChronoSource *self);
const char *chrono_source_get_language  (ChronoSource *self);
const char *chrono_source_get_url       (ChronoSource *self);
const char *chrono_source_get_retrieved (ChronoSource *self);
const char *chrono_source_get_note      (ChronoSource *self);
const char *chrono_source_get_document  (ChronoSource *self);

const char *chrono_source_get_citation_name (ChronoSource *self);
char       *chrono_source_dup_citation   (ChronoSource *self);

G_END_DECLS
