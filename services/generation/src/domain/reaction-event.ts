import { EventTypes, type InteractionRecordedData } from '@attune/contracts'

export type Reaction = 'click' | 'like' | 'share' | 'hide' | 'not_interested'

/**
 * The interaction a chatbot reaction stands for, as `interaction.recorded` data: the same shape
 * profiling publishes, with the slate's `recommendationId` so the recommendation learns from it.
 */
export function reactionInteraction(r: {
  interactionId: string
  userId: string
  itemId: string
  reaction: Reaction
  recommendationId: string
  at: Date
  conversationId: string
}): InteractionRecordedData {
  const time = r.at.toISOString()
  return {
    interaction: {
      id: r.interactionId,
      type: r.reaction,
      userId: r.userId,
      itemId: r.itemId,
      recommendationId: r.recommendationId,
      time,
      context: { channel: 'chatbot' },
      properties: { conversationId: r.conversationId },
    },
    receivedAt: time,
  } as InteractionRecordedData
}

export const interactionRecorded = EventTypes.interactionRecorded
