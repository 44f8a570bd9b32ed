export { ads, adsService } from './app.ts'
export type { AdsConfig } from './config.ts'
export type { AdsDb } from './db.ts'
export { demoAds } from './demo.ts'
