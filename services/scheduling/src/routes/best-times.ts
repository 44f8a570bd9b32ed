import { problemResponses, ref, type ServiceApp } from '@attune/kit'
import type { BestTimesDeps } from '../planning/best-times.ts'
import { bestTimesFor } from '../planning/best-times.ts'
import { BestTimes, BestTimesQuery, UserParams } from '../schemas/best-times.ts'

export function bestTimesRoutes(app: ServiceApp, deps: () => BestTimesDeps) {
  app.get(
    '/v1/users/:userId/best-times',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getBestTimes',
        tags: ['best-times'],
        summary: 'A user’s best times to be reached, ranked, with confidence and the reason',
        description:
          'From the user’s engagement per hour of the week in their own time zone (recent events weigh more), smoothed toward their segments’ and everyone’s pattern; a user with too little history, or who turned personalization off, gets the audience’s pattern. Hours inside their quiet hours are left out.',
        params: UserParams,
        querystring: BestTimesQuery,
        response: { 200: ref(BestTimes), ...problemResponses },
      },
    },
    async (request) => bestTimesFor(deps(), request.params.userId, request.query.channel, request.query.count),
  )
}
