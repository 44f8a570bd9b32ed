import { segmentMirrorConsumer } from '@attune/kit'
import type { SchedulingDb } from '../db.ts'

/** Mirrors segment memberships from `attune.profiles`: campaign audiences and segment activity profiles. */
export const segmentsConsumer = segmentMirrorConsumer<SchedulingDb>()
