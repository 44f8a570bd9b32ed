import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { decodeModel, type LexiconFile, type SentimentModel, type WeightsFile } from './analyzer/model.ts'

/** Where the committed model lives (`services/sentiment/model/`). */
export const modelDir = fileURLToPath(new URL('../model/', import.meta.url))
export const dataDir = fileURLToPath(new URL('../data/goemotions/', import.meta.url))

/** Loads the committed model files. */
export function loadCommittedModel(dir = modelDir): SentimentModel {
  const weights = JSON.parse(readFileSync(`${dir}/weights.json`, 'utf8')) as WeightsFile
  const lexicon = JSON.parse(readFileSync(`${dir}/lexicon.json`, 'utf8')) as LexiconFile
  return decodeModel(weights, lexicon)
}
