/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-excerpt.h"
#include "chrono-source.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_CLAIM (chrono_claim_get_type ())

G_DECLARE_FINAL_TYPE (ChronoClaim, chrono_claim, CHRONO, CLAIM, GObject)

const char    *chrono_claim_get_id      (ChronoClaim *self);
const char    *chrono_claim_get_key     (ChronoClaim *self);
const char    *chrono_claim_get_value   (ChronoClaim *self);
ChronoExcerpt *chrono_claim_get_excerpt (ChronoClaim *self);
ChronoSource  *chrono_claim_get_source  (ChronoClaim *self);

char          *chrono_claim_format_value (const char *key,
                                          const char *value);

G_END_DECLS
