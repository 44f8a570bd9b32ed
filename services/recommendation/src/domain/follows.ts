import type { InteractionRecordedData } from '@attune/contracts'
import { actorOf, inTimeOrder } from './interaction-actor.ts'

/** The latest follow state of one (user, target) in a batch. */
export interface FollowChange {
  userId: string
  targetType: 'author' | 'user'
  targetId: string
  active: boolean
  changedAt: Date
}

/** The last follow or unfollow per (user, target) in the batch; following oneself is ignored. */
export function followChanges(batch: InteractionRecordedData[]): FollowChange[] {
  const byKey = new Map<string, FollowChange>()
  for (const { data, at } of inTimeOrder(batch)) {
    const i = data.interaction
    if (i.type !== 'follow' && i.type !== 'unfollow') continue
    const userId = actorOf(i)
    if (!userId || (i.targetType === 'user' && i.targetId === userId)) continue
    byKey.set(`${userId}\u0000${i.targetType}\u0000${i.targetId}`, {
      userId,
      targetType: i.targetType,
      targetId: i.targetId,
      active: i.type === 'follow',
      changedAt: at,
    })
  }
  return [...byKey.values()]
}
