import type { Brief } from '../provider.ts'
import { OFFLINE_MARK, pick } from './style-text.ts'

type StoryBrief = Extract<Brief, { kind: 'story' }>

const scenery: Record<string, string[]> = {
  fantasy: ['Lanterns flicker along the old stone road.', 'A cold wind carries the smell of pine and smoke.', 'Far away, a bell tolls from the citadel.'],
  mystery: ['Rain taps on the window of the empty office.', 'A door creaks somewhere down the hall.', 'The clock on the wall has stopped at midnight.'],
  'science-fiction': [
    'The station hums as its lights dim to night cycle.',
    'Stars wheel slowly past the viewport.',
    'A warning light blinks amber on the console.',
  ],
  adventure: ['The trail narrows between towering cliffs.', 'Waves crash against the rocks below.', 'The map in your pocket feels heavier now.'],
}
const optionsByGenre: Record<string, string[]> = {
  fantasy: ['Follow the road to the citadel', 'Ask the innkeeper about the rumours', 'Search the forest at dusk', 'Study the strange map'],
  mystery: ['Examine the desk drawer', 'Call the witness again', 'Follow the footprints outside', 'Check the stopped clock'],
  'science-fiction': ['Run a diagnostic on the console', 'Contact the captain', 'Suit up and go outside', 'Scan for life signs'],
  adventure: ['Climb the cliff path', 'Set up camp for the night', 'Read the map by firelight', 'Signal the ship'],
}

/** The reader's first person as the narration's second, the forms of "to be" first. */
const FIRST_PERSON: [RegExp, string][] = [
  [/^(?:i'm|i am|we're|we are)\s+/i, 'You are '],
  [/^(?:i|we) (?:was|were)\s+/i, 'You were '],
  [/^(?:i|we)\s+/i, 'You '],
]

/**
 * The reader's input as a sentence of the story: "I open the door" → "You open the door.", a
 * sentence about a character ("Mara climbs the stairs") as it is, an option or any other command
 * ("Examine the desk drawer") → "You decide to examine the desk drawer.".
 */
export function readerAct(input: string, characters: readonly string[]): string {
  const text = input.trim().replace(/[.!?]+$/, '')
  for (const [first, second] of FIRST_PERSON) if (first.test(text)) return `${text.replace(first, second)}.`
  const firstWord = text.split(/\s/, 1)[0] ?? ''
  if (characters.some((c) => c.split(/\s/, 1)[0] === firstWord)) return `${text}.`
  return `You decide to ${text.charAt(0).toLowerCase()}${text.slice(1)}.`
}

/** A story turn as JSON (`narration` and `options`), from genre templates and the reader's input. */
export function composeStory(b: StoryBrief): string {
  const genre = scenery[b.genre] ? b.genre : 'adventure'
  const who = b.characters[b.turn % Math.max(1, b.characters.length)] ?? 'Your companion'
  const place = pick(scenery[genre] as string[], b.turn)
  const act = b.input ? readerAct(b.input, b.characters) : 'The story begins.'
  const narration = `${OFFLINE_MARK} ${act} ${place} ${who} ${b.tone === 'light' ? 'grins and nods you on' : 'watches you closely'}.`
  const opts = optionsByGenre[genre] as string[]
  const options = [0, 1, 2].map((k) => pick(opts, b.turn + k))
  return JSON.stringify({ narration, options })
}
