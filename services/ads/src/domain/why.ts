import type { Reason, Tier } from '../db.ts'
import { categoryName } from './taxonomy.ts'

export interface WhyInput {
  advertiserName: string | null
  tier: Tier
  personalized: boolean
  reasons: Reason[]
  eligible?: number
  /** The segment the shown text was adapted for, when it was. */
  copy?: { segmentId: string; audience: string | null } | undefined
}

function phrase(r: Reason): string {
  switch (r.kind) {
    case 'keyword':
      return `the page is about “${r.value}”, a keyword the advertiser chose`
    case 'url':
      return `the page address contains “${r.value}”`
    case 'category':
      return `the page is in the category ${categoryName(r.value)} (${r.value}), as the site labelled it`
    case 'inferred_category':
      return `the page text reads as ${categoryName(r.value)} (${r.value})`
    case 'segment':
      return 'you are in an audience group the advertiser chose'
    case 'interest':
      return `you follow the topic “${r.value}”`
    case 'language':
      return `the page is in a language the advertiser chose (${r.value})`
    case 'country':
      return `you appear to be in a country the advertiser chose (${r.value})`
    case 'untargeted':
      return 'the advertiser asked to be shown on any page of this site'
  }
}

const tierWords: Record<Tier, string> = {
  sponsorship: 'a sponsorship, which this site shows before other ads',
  standard: 'a standard campaign',
  house: "one of the site's own announcements",
}

/** The plain-words explanation of a shown ad (EU DSA art. 26(1)(d): the main parameters and how to change them). */
export function explain(w: WhyInput): string {
  const who = w.advertiserName ? `This ad is paid for by ${w.advertiserName}.` : 'This ad is paid for by an advertiser.'
  const because = `You see it because ${w.reasons.map(phrase).join('; ')}.`
  const how = `It is ${tierWords[w.tier]}; among the ads that fit, it was picked for the best expected value, the price offered times how often people click it.`
  const personal = w.personalized
    ? 'It was personalized: your ad-personalization consent allowed audience groups, followed topics and how often you saw it to be used. You can withdraw that consent at any time.'
    : 'It was not personalized: nothing about you was used, only the page you are on.'
  const copy = w.copy
    ? `Its text was adapted for segment ${w.copy.segmentId}${w.copy.audience ? ` (“${w.copy.audience}”)` : ''}, an audience group you are in: written with the generation service and approved by a reviewer before use; the advertiser's original text is shown to everyone else.`
    : undefined
  return [who, because, how, personal, ...(copy ? [copy] : [])].join(' ')
}
