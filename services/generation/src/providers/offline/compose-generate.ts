import type { Brief } from '../provider.ts'
import { finish, opener, pick } from './style-text.ts'

type GenerateBrief = Extract<Brief, { kind: 'generate' }>

const capitalise = (s: string) => s.replace(/^\p{Ll}/u, (c) => c.toUpperCase())
const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`)

/** A post, caption, reply, notification or ad copy from templates and the style rules. */
export function composeGenerate(b: GenerateBrief, variant: number): string {
  const s = b.style
  const topic = b.topic.trim()
  const points = b.keyPoints.map((p) => sentence(capitalise(p)))
  const flavour = b.voice?.vocabulary.length ? pick(b.voice.vocabulary, variant) : undefined
  const sentences: string[] = []
  switch (b.use) {
    case 'reply':
      sentences.push(s.formality === 'formal' ? 'Thank you for your message.' : pick(['Thanks for reaching out!', 'Thanks for the note!'], variant))
      sentences.push(sentence(`About ${topic}: we have passed this on and will follow up`), ...points)
      break
    case 'notification':
      sentences.push(sentence(`${capitalise(topic)}${flavour ? ` — ${flavour}` : ''}`))
      break
    case 'ad_copy':
      sentences.push(sentence(capitalise(topic)), ...points, pick(['Find out more today.', 'See what is new.', 'Take a look now.'], variant))
      break
    case 'caption':
      sentences.push(sentence(`${capitalise(topic)}${flavour ? `, ${flavour}` : ''}`), ...points)
      break
    default:
      sentences.push(opener(s, variant), sentence(capitalise(topic)), ...points)
      if (flavour) sentences.push(sentence(capitalise(flavour)))
      sentences.push(s.formality === 'formal' ? 'We look forward to your thoughts.' : pick(['Let us know what you think!', 'Tell us what you think.'], variant))
  }
  return finish(sentences, s, variant)
}
