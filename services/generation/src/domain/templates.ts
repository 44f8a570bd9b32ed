import type { GenerationUse } from '@attune/contracts'

export type TemplateId = GenerationUse | 'chat' | 'story'

/**
 * A versioned prompt template. A change to the wording is a new version, so every stored output
 * names the exact text its prompt came from. `{{name}}` placeholders are filled by `render`.
 */
export interface PromptTemplate {
  id: TemplateId
  version: number
  system: string
  user: string
}

const templates: Record<TemplateId, PromptTemplate> = {
  post: {
    id: 'post',
    version: 2,
    system: 'You write social-media posts for a publisher. Output only the post text.',
    user: 'Write a social-media post about: {{topic}}.{{keyPoints}}',
  },
  caption: {
    id: 'caption',
    version: 1,
    system: 'You write captions for images and videos. Output only the caption.',
    user: 'Write a caption for: {{topic}}.{{keyPoints}}',
  },
  reply: {
    id: 'reply',
    version: 1,
    system: 'You reply to comments on behalf of a publisher: helpful, never defensive. Output only the reply.',
    user: 'Reply to this comment about {{topic}}:\n"""{{replyTo}}"""{{keyPoints}}',
  },
  notification: {
    id: 'notification',
    version: 1,
    system: 'You write push notifications: one line, under 120 characters. Output only the notification.',
    user: 'Write a notification about: {{topic}}.{{keyPoints}}',
  },
  ad_copy: {
    id: 'ad_copy',
    version: 1,
    system: 'You write ad copy: a headline and one line of body, honest claims only. Output only the copy.',
    user: 'Write ad copy for: {{topic}}.{{keyPoints}}',
  },
  chat: {
    id: 'chat',
    version: 1,
    system:
      'You are a news assistant. Answer the reader using only the articles listed below, cite each by its number like [1], and say in a few words why it suits them.',
    user: '{{message}}\n\nArticles picked for this reader:\n{{articles}}',
  },
  story: {
    id: 'story',
    version: 1,
    system:
      'You are an interactive storyteller. Genre: {{genre}}. Tone: {{tone}}. Stay consistent with the world facts, characters and story so far. Keep content suitable for {{rating}}.{{avoid}} Answer as JSON: a narration of one paragraph and 2-3 options for what the reader can do next.',
    user: 'World facts:\n{{facts}}\nCharacters:\n{{characters}}\nStory so far:\n{{memory}}\n\nThe reader: {{input}}',
  },
}

/** The current template for a use. */
export function templateFor(id: TemplateId): PromptTemplate {
  return templates[id]
}

/** Fills `{{name}}` placeholders; an unknown placeholder is an error in the template, not the input. */
export function render(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = vars[name]
    if (v === undefined) throw new Error(`template placeholder {{${name}}} has no value`)
    return v
  })
}
