import { type DeliveryChannel, DeliveryChannels, type InteractionRecordedData, type InteractionType } from '@attune/contracts'

/**
 * How much each interaction says "this person is here and responsive now". Negative feedback and
 * bookkeeping events (identify, unfollow) are presence but not engagement, so they weigh nothing.
 */
export const engagementWeights: Record<InteractionType, number> = {
  notification_open: 2,
  click: 1,
  like: 1,
  share: 1,
  comment: 1,
  purchase: 1,
  rating: 1,
  follow: 1,
  ad_click: 0.5,
  view: 0.5,
  dwell: 0.5,
  ad_impression: 0,
  hide: 0,
  not_interested: 0,
  unfollow: 0,
  identify: 0,
}

/** The model key holding every engagement of a user whatever the channel. */
export const ALL_CHANNELS = 'all'

const channels = new Set<string>(DeliveryChannels)

/** One engagement: who, when, on which delivery channel (when the event says so) and how much. */
export interface Engagement {
  userId: string
  at: Date
  channel: DeliveryChannel | undefined
  weight: number
}

/**
 * The engagements in a batch of interactions: events of known users with a positive weight. The
 * channel comes from `context.channel` when it names a delivery channel (`email`, `push` …).
 */
export function engagementsOf(batch: InteractionRecordedData[]): Engagement[] {
  const out: Engagement[] = []
  for (const { interaction: i, receivedAt } of batch) {
    const weight = engagementWeights[i.type]
    if (!i.userId || weight <= 0) continue
    const c = i.context?.channel
    out.push({ userId: i.userId, at: new Date(i.time ?? receivedAt), channel: c && channels.has(c) ? (c as DeliveryChannel) : undefined, weight })
  }
  return out
}
