/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "chrono-event-source.h"

G_BEGIN_DECLS

/*
 * A second backend for the tests: every event, place, source and tour step
 * of a dataset held in memory (in one language), each question of
 * #ChronoEventSource answered by looking at all of them. The store's
 * answers, from sqlite's indexes, must be the same.
 */
#define TEST_TYPE_MEMORY_SOURCE (test_memory_source_get_type ())

G_DECLARE_FINAL_TYPE (TestMemorySource, test_memory_source, TEST, MEMORY_SOURCE, GObject)

TestMemorySource *test_memory_source_new_copy (ChronoEventSource  *from,
                                               const char         *lang,
                                               GError            **error);
GPtrArray        *test_memory_source_get_events (TestMemorySource *self);

G_END_DECLS
