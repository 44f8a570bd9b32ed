import type { Analysis } from '../analyzer/analyze.ts'
import { fnv1a } from '../analyzer/hash.ts'
import type { Emotion } from '../analyzer/labels.ts'

export const Tones = ['apologetic', 'reassuring', 'empathetic', 'appreciative', 'clarifying', 'respectful', 'friendly', 'sincere'] as const
export type Tone = (typeof Tones)[number]

export interface UserMood {
  /** Mean compound of the user's scored texts over the last 7 days. */
  averageCompound: number | null
  total: number
}

export interface ReplyGuidance {
  tone: Tone
  guidance: string
  reply: string
  /** Suggest handing over to a person (an angry, shouting or repeatedly unhappy user). */
  escalate: boolean
  source: 'templates'
}

const byEmotion: Record<Emotion, { tone: Tone; guidance: string; replies: string[] }> = {
  anger: {
    tone: 'apologetic',
    guidance: 'Acknowledge the frustration first, apologise without excuses, say what happens next. No jokes, no emoji.',
    replies: [
      "We're sorry about this, and we understand why you're frustrated. We're looking into it now and will come back to you with what we find.",
      "That's not the experience we want you to have, and we're sorry. Could you send us the details in a direct message so we can sort it out?",
    ],
  },
  disgust: {
    tone: 'respectful',
    guidance: 'Take the objection seriously, keep it short and factual, do not argue.',
    replies: [
      "Thank you for telling us; we take this seriously. We're reviewing it and will act on what we find.",
      "We hear you, and we're sorry this came across badly. We're passing your feedback to the team responsible.",
    ],
  },
  fear: {
    tone: 'reassuring',
    guidance: 'Reassure with facts, give one clear next step, avoid alarming words.',
    replies: [
      "We understand the worry. Here's what we know so far, and we'll keep you posted as soon as there's more.",
      "Thanks for raising this. You're not alone in asking, and we're here to help: message us and we'll walk you through it.",
    ],
  },
  sadness: {
    tone: 'empathetic',
    guidance: 'Show empathy, keep a warm and quiet tone, offer help without pushing.',
    replies: [
      "We're really sorry to hear that. If there's anything we can do to help, we're here.",
      "Thank you for sharing this with us. We're sorry it's been so hard, and we're here if you need us.",
    ],
  },
  joy: {
    tone: 'appreciative',
    guidance: 'Thank them warmly, mirror the enthusiasm, keep it personal and brief.',
    replies: ["Thank you so much! That's great to hear and made our day.", "We're so glad you enjoyed it, thanks for letting us know!"],
  },
  surprise: {
    tone: 'clarifying',
    guidance: 'Answer the surprise with context and a pointer to more information.',
    replies: [
      "Good question! Here's a bit more context, and we're happy to explain further if that helps.",
      'Thanks for asking. We can see why that was unexpected; here is what changed and why.',
    ],
  },
  neutral: {
    tone: 'friendly',
    guidance: 'Be friendly and helpful; answer what was asked.',
    replies: [
      "Thanks for your message! Let us know if there's anything we can help with.",
      'Thanks for reaching out. Happy to help if you have any questions.',
    ],
  },
}

/**
 * A tone and a template reply for a text. Sarcasm gets a sincere, plain reply (never a cheerful one);
 * an angry text that shouts, or a user whose recent texts lean clearly negative, is flagged for a person.
 */
export function replyGuidance(text: string, a: Analysis, mood: UserMood | undefined): ReplyGuidance {
  const emotion: Emotion = a.emotion?.label ?? 'neutral'
  let pick = byEmotion[emotion]
  if (a.cues.sarcasm && (emotion === 'joy' || emotion === 'neutral')) pick = { ...byEmotion.anger, tone: 'sincere' }
  const unhappyUser = mood !== undefined && mood.total >= 3 && (mood.averageCompound ?? 0) <= -0.3
  const escalate = (emotion === 'anger' && a.cues.shouting) || (unhappyUser && a.polarity?.label === 'negative')
  let guidance = pick.guidance
  if (unhappyUser) guidance += ' This user has been unhappy recently: be especially gentle and offer a direct contact.'
  if (a.cues.mixed) guidance += ' The text mixes praise and complaint: thank them for the good part, then address the problem.'
  const reply = pick.replies[fnv1a(text) % pick.replies.length] as string
  return { tone: pick.tone, guidance, reply, escalate, source: 'templates' }
}
