import { AdTiers } from '@attune/contracts'
import { type Static, Type } from 'typebox'
import { DateTime, Uuid } from './common.ts'

const ShownAd = Type.Object(
  {
    adId: Uuid,
    campaignId: Uuid,
    advertiserId: Uuid,
    title: Type.String(),
    body: Type.String(),
    imageUrl: Type.Union([Type.String(), Type.Null()]),
    format: Type.String(),
  },
  { additionalProperties: false },
)

export const PlacementDecision = Type.Object(
  {
    placementId: Uuid,
    decision: Type.Union(
      [
        Type.Object(
          {
            decisionId: Uuid,
            ad: ShownAd,
            impressionUrl: Type.String({ description: 'Signed; request it when the ad is actually in view' }),
            clickUrl: Type.String({ description: 'Signed; link the ad to it (it redirects to the advertiser)' }),
            whyUrl: Type.String({ description: '“Why this ad?” in plain words' }),
            personalized: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: 'Null when no ad fits' },
    ),
  },
  { additionalProperties: false },
)

export const DecisionResponse = Type.Object(
  {
    requestId: Uuid,
    personalized: Type.Boolean({ description: 'False: context only (no ad-personalization consent, the non-personalized switch, or no user key)' }),
    placements: Type.Array(PlacementDecision, { description: 'In the order asked' }),
  },
  {
    $id: 'AdDecisionResponse',
    additionalProperties: false,
    examples: [
      {
        requestId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c50',
        personalized: false,
        placements: [
          {
            placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
            decision: {
              decisionId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c51',
              ad: {
                adId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
                campaignId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c44',
                advertiserId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c45',
                title: 'Boots for every trail',
                body: 'Waterproof, light, 20% off this week.',
                imageUrl: null,
                format: 'banner-300x250',
              },
              impressionUrl: '/v1/track/impression?token=eyJk….Sig',
              clickUrl: '/v1/track/click?token=eyJk….Sig',
              whyUrl: '/v1/decisions/0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c51/why',
              personalized: false,
            },
          },
        ],
      },
    ],
  },
)
export type DecisionResponse = Static<typeof DecisionResponse>

const ReasonSchema = Type.Object(
  {
    kind: Type.Enum(['keyword', 'url', 'category', 'inferred_category', 'segment', 'interest', 'language', 'country', 'untargeted']),
    value: Type.String(),
  },
  { additionalProperties: false },
)

export const Why = Type.Object(
  {
    decisionId: Uuid,
    adId: Uuid,
    campaignId: Uuid,
    advertiser: Type.Union([Type.String(), Type.Null()], { description: 'Who paid for the ad (null once the advertiser is deleted)' }),
    tier: Type.Enum(AdTiers),
    personalized: Type.Boolean(),
    matched: Type.Array(ReasonSchema, { description: 'The targeting that matched' }),
    propensity: Type.Number({ description: 'Probability the policy had of choosing this ad (logged for off-policy evaluation)' }),
    adaptedCopy: Type.Union(
      [
        Type.Object(
          {
            variantId: Uuid,
            segmentId: Type.String({ format: 'uuid', description: 'The segment the text was written for' }),
            audience: Type.Union([Type.String(), Type.Null()], { description: 'How the advertiser described that segment' }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: 'The ad’s text was a reviewed variant written for a segment the user is in (personalized decisions only); null: the original text' },
    ),
    explanation: Type.String({ description: 'The same in plain words' }),
    decidedAt: DateTime,
  },
  {
    $id: 'AdWhy',
    additionalProperties: false,
    examples: [
      {
        decisionId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c51',
        adId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
        campaignId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c44',
        advertiser: 'Acme Outdoor',
        tier: 'standard',
        personalized: false,
        matched: [{ kind: 'inferred_category', value: 'IAB20' }],
        propensity: 0.71,
        adaptedCopy: null,
        explanation:
          'This ad is paid for by Acme Outdoor. You see it because the page text reads as Travel (IAB20). It is a standard campaign; … It was not personalized: nothing about you was used, only the page you are on.',
        decidedAt: '2026-11-25T09:00:00.000Z',
      },
    ],
  },
)
export type Why = Static<typeof Why>

export const DecisionParams = Type.Object({ decisionId: Uuid }, { additionalProperties: false })
export const TokenQuery = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 2048, description: 'The signed token of a decision' }) },
  { additionalProperties: false },
)
export const Tracked = Type.Object(
  { counted: Type.Boolean({ description: 'False for a repeat, an expired link or a bot-like hit (nothing was counted)' }) },
  { additionalProperties: false, examples: [{ counted: true }] },
)
