import { type Static, Type } from 'typebox'
import { AdFormat, Categories, DateTime, Status, Uuid } from './common.ts'

const HttpUrl = (description: string) => Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048, description })

export const AdInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', examples: ['Boots for every trail'] }),
    body: Type.String({ maxLength: 1000, default: '', examples: ['Waterproof, light, 20% off this week.'] }),
    imageUrl: Type.Optional(HttpUrl('Image shown with the ad')),
    clickUrl: HttpUrl('Where a click leads (through the signed click-tracking link)'),
    format: AdFormat,
    categories: Type.Optional(Categories('What the ad is about (IAB)')),
    status: Type.Optional(Status),
  },
  {
    $id: 'AdInput',
    additionalProperties: false,
    examples: [
      {
        title: 'Boots for every trail',
        body: 'Waterproof, light, 20% off this week.',
        imageUrl: 'https://cdn.example.com/boots.jpg',
        clickUrl: 'https://shop.example.com/boots',
        format: 'banner-300x250',
        categories: ['IAB20'],
      },
    ],
  },
)
export type AdInput = Static<typeof AdInput>

export const Ad = Type.Object(
  {
    adId: Uuid,
    campaignId: Uuid,
    title: Type.String(),
    body: Type.String(),
    imageUrl: Type.Union([Type.String(), Type.Null()]),
    clickUrl: Type.String(),
    format: Type.String(),
    categories: Type.Array(Type.String()),
    status: Status,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  {
    $id: 'Ad',
    additionalProperties: false,
    examples: [
      {
        adId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
        campaignId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        title: 'Boots for every trail',
        body: 'Waterproof, light, 20% off this week.',
        imageUrl: 'https://cdn.example.com/boots.jpg',
        clickUrl: 'https://shop.example.com/boots',
        format: 'banner-300x250',
        categories: ['IAB20'],
        status: 'active',
        createdAt: '2026-11-25T09:00:00.000Z',
        updatedAt: '2026-11-25T09:00:00.000Z',
      },
    ],
  },
)
export type Ad = Static<typeof Ad>

export const AdList = Type.Object({ ads: Type.Array(Ad) }, { additionalProperties: false, examples: [{ ads: (Ad as { examples?: unknown[] }).examples }] })
