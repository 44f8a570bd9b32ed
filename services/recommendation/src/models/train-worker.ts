// Worker thread entry: fits the default recommender on an encoded training set and answers with
// the engine's JSON snapshot, so training never blocks the event loop that serves requests.
import { parentPort } from 'node:worker_threads'
import { fitDefault } from '../recommenders/default-recommender.ts'
import { createEngine } from '../recommenders/engine.ts'
import { buildTrainingData } from '../recommenders/training-data.ts'
import { decodeInteractions, type EncodedTrainingSet } from './training-set.ts'

export interface TrainReply {
  engine: string
  users: number
  items: number
  interactions: number
  fitMs: number
}

parentPort?.once('message', (set: EncodedTrainingSet) => {
  const started = performance.now()
  const data = buildTrainingData(decodeInteractions(set), { items: set.content })
  const engine = createEngine(data, fitDefault(data, { seed: set.seed }))
  const reply: TrainReply = {
    engine: JSON.stringify(engine.toJSON()),
    users: data.userIds.length,
    items: data.itemIds.length,
    interactions: set.users.length,
    fitMs: Math.round(performance.now() - started),
  }
  parentPort?.postMessage(reply)
})
