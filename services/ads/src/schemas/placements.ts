import { type Static, Type } from 'typebox'
import { AdFormat, DateTime, Name, Uuid } from './common.ts'

export const PlacementInput = Type.Object(
  {
    name: Name,
    zone: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'Where on the site: a section or slot', examples: ['article-sidebar'] }),
    format: AdFormat,
  },
  { $id: 'PlacementInput', additionalProperties: false, examples: [{ name: 'Article sidebar', zone: 'article-sidebar', format: 'banner-300x250' }] },
)
export type PlacementInput = Static<typeof PlacementInput>

export const Placement = Type.Object(
  { placementId: Uuid, name: Type.String(), zone: Type.String(), format: Type.String(), createdAt: DateTime },
  {
    $id: 'Placement',
    additionalProperties: false,
    examples: [
      {
        placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        name: 'Article sidebar',
        zone: 'article-sidebar',
        format: 'banner-300x250',
        createdAt: '2026-11-25T09:00:00.000Z',
      },
    ],
  },
)
export type Placement = Static<typeof Placement>

export const PlacementList = Type.Object(
  { placements: Type.Array(Placement) },
  { additionalProperties: false, examples: [{ placements: (Placement as { examples?: unknown[] }).examples }] },
)
