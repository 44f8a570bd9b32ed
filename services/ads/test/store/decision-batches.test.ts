// The decision log's batch rows: how requests are cut into batches (each spans at most
// BATCH_SPAN_MS, so `why` can find a decision's batch by its time) and how a decision is found in
// one, and read back each once.
import t from 'tap'
import {
  BATCH_MAX_CHARS,
  BATCH_MAX_REQUESTS,
  BATCH_SPAN_MS,
  type Batch,
  type BatchedRequest,
  batchesOf,
  decisionInBatch,
  decisionRequestRow,
  decisionsInBatches,
  type LoggedRequest,
} from '../../src/store/decisions-store.ts'
import { loggedChoice } from '../support/logged-choice.ts'

const logged = (requestId: string, userId: string | null, at: number, decisionIds: string[]): LoggedRequest => ({
  requestId,
  userId,
  personalized: userId !== null,
  createdAt: at,
  decisions: decisionIds.map((id) => loggedChoice(id)),
})

const batched = (r: LoggedRequest): BatchedRequest => ({ row: decisionRequestRow(r), userId: r.userId, at: r.createdAt })
const at = (ms: number): BatchedRequest => ({ row: '', userId: null, at: ms })
const spans = (batches: Batch[]) => batches.map((b) => b.requests.map((r) => r.at))

t.test('batches keep the order given and span at most BATCH_SPAN_MS', async (t) => {
  t.same(batchesOf([]), [])
  t.same(spans(batchesOf([at(0), at(10), at(BATCH_SPAN_MS)])), [[0, 10, BATCH_SPAN_MS]], 'exactly the span: one batch')
  t.same(spans(batchesOf([at(0), at(BATCH_SPAN_MS + 1), at(BATCH_SPAN_MS + 2)])), [[0], [BATCH_SPAN_MS + 1, BATCH_SPAN_MS + 2]])
  // A retried batch comes first, then what was logged since; a request older than the batch's first counts too.
  t.same(spans(batchesOf([at(5_000), at(5_100), at(4_000), at(4_050)])), [
    [5_000, 5_100],
    [4_000, 4_050],
  ])
  t.same(spans(batchesOf([at(5_000), at(4_500), at(5_400), at(5_600)])), [[5_000, 4_500, 5_400], [5_600]])
})

t.test('a batch holds at most BATCH_MAX_REQUESTS', async (t) => {
  const many = Array.from({ length: BATCH_MAX_REQUESTS * 2 + 1 }, () => at(1))
  t.same(
    batchesOf(many).map((b) => b.requests.length),
    [BATCH_MAX_REQUESTS, BATCH_MAX_REQUESTS, 1],
  )
})

t.test('a batch’s requests, joined, stay within BATCH_MAX_CHARS; a longer row is a batch alone', async (t) => {
  const sized = (chars: number): BatchedRequest => ({ row: 'x'.repeat(chars), userId: null, at: 1 })
  const half = Math.floor((BATCH_MAX_CHARS - 1) / 2)
  const batches = batchesOf([sized(half), sized(BATCH_MAX_CHARS - 1 - half), sized(1), sized(BATCH_MAX_CHARS + 1), sized(10), sized(BATCH_MAX_CHARS - 11)])
  t.same(
    batches.map((b) => b.requests.map((r) => r.row.length)),
    [[half, BATCH_MAX_CHARS - 1 - half], [1], [BATCH_MAX_CHARS + 1], [10, BATCH_MAX_CHARS - 11]],
    'exactly the bound with the newline: one batch',
  )
  t.same(
    batches.map((b) => b.chars),
    batches.map((b) => b.requests.map((r) => r.row).join('\n').length),
  )
})

t.test('a decision is found in its batch, even when a user key is the same text as its id', async (t) => {
  const requests = [logged('r1', 'd2', 1, ['d1']), logged('r2', null, 2, ['d2', 'd3']), logged('r3', 'u "x"\n', 3, ['d4'])].map(batched)
  const text = requests.map((r) => r.row).join('\n')
  t.match(decisionInBatch(text, 'd2'), { decisionId: 'd2', requestId: 'r2', userId: null, personalized: false, createdAt: new Date(2) })
  t.match(decisionInBatch(text, 'd1'), { decisionId: 'd1', requestId: 'r1', userId: 'd2' })
  t.match(decisionInBatch(text, 'd4'), { decisionId: 'd4', userId: 'u "x"\n' }, 'a user key with a newline stays on its line')
  t.equal(decisionInBatch(text, 'r1'), undefined, 'a request id is not a decision')
  t.equal(decisionInBatch(text, 'd9'), undefined)
})

t.test('reading batches back: each request once, by user if asked', async (t) => {
  const one = [logged('r1', 'u1', 1, ['d1']), logged('r2', 'u2', 2, ['d2'])].map((r) => decisionRequestRow(r)).join('\n')
  // The same request in a second batch: a write that failed but had committed, written again.
  const two = [logged('r2', 'u2', 2, ['d2']), logged('r3', 'u1', 3, ['d3', 'd4'])].map((r) => decisionRequestRow(r)).join('\n')
  t.same(
    decisionsInBatches([{ requests: one }, { requests: two }]).map((d) => d.decisionId),
    ['d1', 'd2', 'd3', 'd4'],
  )
  t.same(
    decisionsInBatches([{ requests: one }, { requests: two }], 'u1').map((d) => [d.decisionId, d.requestId]),
    [
      ['d1', 'r1'],
      ['d3', 'r3'],
      ['d4', 'r3'],
    ],
  )
})
