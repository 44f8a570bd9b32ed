import { type Static, Type } from 'typebox'
import { ExternalId, Uuid } from './envelope.ts'

/** Priority tiers, tried in this order: a lower tier serves only when no ad of a higher one fits. */
export const AdTiers = ['sponsorship', 'standard', 'house'] as const
export type AdTier = (typeof AdTiers)[number]

/** How a campaign pays: per thousand impressions or per click. */
export const AdPriceModels = ['cpm', 'cpc'] as const
export type AdPriceModel = (typeof AdPriceModels)[number]

/** An IAB Content Taxonomy 1.0 category id: tier 1 (`IAB17`) or tier 2 (`IAB17-44`). */
export const IabCategory = Type.String({
  pattern: '^IAB[0-9]{1,2}(-[0-9]{1,3})?$',
  description: 'IAB Content Taxonomy 1.0 id: IAB17 (Sports), IAB17-44 (Soccer) …',
  examples: ['IAB17'],
})

/** Ad format / size, shared by ads and placements: an ad serves only in placements of its format. */
export const AdFormat = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[a-z0-9][a-z0-9_-]*$',
  description: 'Format or size, e.g. banner-300x250, native, text',
  examples: ['banner-300x250'],
})

/** The page an ad decision is for. */
export const AdPageContext = Type.Object(
  {
    url: Type.Optional(Type.String({ format: 'uri', maxLength: 2048, description: 'Page URL', examples: ['https://news.example.com/sport/cup-final'] })),
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'Page keywords', examples: [['football']] })),
    categories: Type.Optional(Type.Array(IabCategory, { maxItems: 20, description: 'IAB categories the site assigned to the page' })),
    text: Type.Optional(
      Type.String({ maxLength: 20000, description: 'Page text (title, lead, body); categories are inferred from it in process, never stored' }),
    ),
    language: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35, description: 'Page language (BCP 47)', examples: ['en-GB'] }),
    ),
    country: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Visitor country (ISO 3166-1 alpha-2), e.g. from a geo-IP header', examples: ['FR'] }),
    ),
  },
  { additionalProperties: false, description: 'Where the ads will show' },
)
export type AdPageContext = Static<typeof AdPageContext>

/** Body of `POST /v1/decisions`. */
export const AdDecisionRequest = Type.Object(
  {
    userKey: Type.Optional(ExternalId),
    placements: Type.Array(Type.Object({ placementId: Uuid }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 10,
      description: 'The slots on the page, each answered with at most one ad',
    }),
    context: Type.Optional(AdPageContext),
  },
  {
    $id: 'AdDecisionRequest',
    additionalProperties: false,
    examples: [
      {
        userKey: 'user-42',
        placements: [{ placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42' }],
        context: { url: 'https://news.example.com/sport/cup-final', text: 'The cup final: the team and coach after the match', language: 'en', country: 'GB' },
      },
    ],
  },
)
export type AdDecisionRequest = Static<typeof AdDecisionRequest>
