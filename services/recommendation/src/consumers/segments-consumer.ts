import { segmentMirrorConsumer } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'

/** Mirrors segment memberships from `attune.profiles` (segment popularity for users without history). */
export const segmentsConsumer = segmentMirrorConsumer<RecommendationDb>()
