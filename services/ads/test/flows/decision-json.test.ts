// The decision response written by hand is the JSON the schema describes, texts escaped.
import t from 'tap'
import { Compile } from 'typebox/compile'
import type { LiveAd, LiveCampaign } from '../../src/domain/live.ts'
import { DecisionJson } from '../../src/flows/decision-json.ts'
import { DecisionResponse } from '../../src/schemas/decisions.ts'

const campaign = { campaignId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c44', advertiserId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c45' } as LiveCampaign
const ad = {
  adId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
  campaign,
  title: 'Boots "for" every\ntrail \\ ✓',
  body: 'Waterproof </script> \u2028',
  imageUrl: 'https://cdn.example.com/a.png',
  format: 'banner-300x250',
} as LiveAd

t.test('parses to the objects the schema describes, texts intact', async (t) => {
  const json = new DecisionJson('https://ads.example.com/"x"/')
  const text = json.write('0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c50', true, [
    { placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42', decisionId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c51', ad, copyText: undefined, token: 'eyJk.Sig' },
    '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c46',
    { placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c47', decisionId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c52', ad, copyText: 'For "you"', token: 'eyJl.Sih' },
  ])
  const parsed: unknown = JSON.parse(text)
  t.ok(Compile(DecisionResponse).Check(parsed), 'valid against DecisionResponse')
  const root = 'https://ads.example.com/"x"'
  const shown = (decisionId: string, body: string, token: string) => ({
    decisionId,
    ad: {
      adId: ad.adId,
      campaignId: campaign.campaignId,
      advertiserId: campaign.advertiserId,
      title: ad.title,
      body,
      imageUrl: ad.imageUrl,
      format: ad.format,
    },
    impressionUrl: `${root}/v1/track/impression?token=${token}`,
    clickUrl: `${root}/v1/track/click?token=${token}`,
    whyUrl: `${root}/v1/decisions/${decisionId}/why`,
    personalized: true,
  })
  t.same(parsed, {
    requestId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c50',
    personalized: true,
    placements: [
      { placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42', decision: shown('0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c51', ad.body, 'eyJk.Sig') },
      { placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c46', decision: null },
      { placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c47', decision: shown('0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c52', 'For "you"', 'eyJl.Sih') },
    ],
  })
  t.same(JSON.parse(new DecisionJson('').write('0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c50', false, [])), {
    requestId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c50',
    personalized: false,
    placements: [],
  })
})
