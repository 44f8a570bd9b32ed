import { type Static, Type } from 'typebox'
import { Categories, DateTime, Name, Uuid } from './common.ts'

export const AdvertiserInput = Type.Object(
  {
    name: Name,
    blockedCategories: Type.Optional(
      Categories('Brand safety: pages in these categories (given by the site or inferred from the text) never show this advertiser’s ads'),
    ),
  },
  { $id: 'AdvertiserInput', additionalProperties: false, examples: [{ name: 'Acme Outdoor', blockedCategories: ['IAB25', 'IAB26', 'IAB11'] }] },
)
export type AdvertiserInput = Static<typeof AdvertiserInput>

export const Advertiser = Type.Object(
  {
    advertiserId: Uuid,
    name: Type.String(),
    blockedCategories: Type.Array(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  {
    $id: 'Advertiser',
    additionalProperties: false,
    examples: [
      {
        advertiserId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        name: 'Acme Outdoor',
        blockedCategories: ['IAB25', 'IAB26'],
        createdAt: '2026-11-25T09:00:00.000Z',
        updatedAt: '2026-11-25T09:00:00.000Z',
      },
    ],
  },
)
export type Advertiser = Static<typeof Advertiser>

export const AdvertiserList = Type.Object(
  { advertisers: Type.Array(Advertiser) },
  { additionalProperties: false, examples: [{ advertisers: (Advertiser as { examples?: unknown[] }).examples }] },
)
