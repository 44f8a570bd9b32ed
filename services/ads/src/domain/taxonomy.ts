import { tokenize } from './text.ts'

/**
 * A small keyword taxonomy over IAB Content Taxonomy 1.0 tier-1 categories (and the brand-safety
 * ones of IAB25 "Non-Standard Content" and IAB26 "Illegal Content"), used to infer what a page is
 * about from its text in process. Each word counts once per page; a category needs MIN_HITS
 * distinct words (brand-safety ones need one, since one strong word is a risk already).
 */
export const categoryNames: Record<string, string> = {
  IAB1: 'Arts & Entertainment',
  IAB2: 'Automotive',
  IAB3: 'Business',
  IAB4: 'Careers',
  IAB5: 'Education',
  IAB6: 'Family & Parenting',
  IAB7: 'Health & Fitness',
  IAB8: 'Food & Drink',
  IAB9: 'Hobbies & Interests',
  IAB10: 'Home & Garden',
  IAB11: 'Law, Government & Politics',
  IAB12: 'News',
  IAB13: 'Personal Finance',
  IAB14: 'Society',
  IAB15: 'Science',
  IAB16: 'Pets',
  IAB17: 'Sports',
  IAB18: 'Style & Fashion',
  IAB19: 'Technology & Computing',
  IAB20: 'Travel',
  IAB21: 'Real Estate',
  IAB22: 'Shopping',
  IAB23: 'Religion & Spirituality',
  IAB24: 'Uncategorized',
  IAB25: 'Non-Standard Content',
  'IAB25-2': 'Extreme Graphic/Explicit Violence',
  'IAB25-3': 'Pornography',
  'IAB25-4': 'Profane Content',
  'IAB25-5': 'Hate Content',
  IAB26: 'Illegal Content',
}

const keywords: Record<string, string[]> = {
  IAB1: ['film', 'movie', 'cinema', 'music', 'concert', 'album', 'actor', 'actress', 'festival', 'theatre', 'theater', 'celebrity', 'tv', 'series', 'netflix'],
  IAB2: ['car', 'cars', 'vehicle', 'engine', 'electric', 'suv', 'motor', 'driving', 'tesla', 'hybrid', 'dealership', 'sedan'],
  IAB3: ['business', 'company', 'market', 'markets', 'ceo', 'startup', 'industry', 'revenue', 'profit', 'merger', 'shares', 'economy'],
  IAB4: ['job', 'jobs', 'career', 'hiring', 'salary', 'resume', 'recruiter', 'interview', 'employment'],
  IAB5: ['school', 'university', 'student', 'students', 'teacher', 'exam', 'education', 'course', 'degree', 'college'],
  IAB6: ['parent', 'parents', 'parenting', 'baby', 'child', 'children', 'kids', 'family', 'pregnancy', 'toddler'],
  IAB7: ['health', 'fitness', 'workout', 'diet', 'doctor', 'hospital', 'disease', 'vaccine', 'medical', 'running', 'yoga', 'nutrition'],
  IAB8: ['food', 'recipe', 'recipes', 'restaurant', 'cooking', 'chef', 'wine', 'beer', 'coffee', 'dinner', 'baking', 'vegan'],
  IAB9: ['hobby', 'gaming', 'games', 'photography', 'crafts', 'knitting', 'chess', 'gardening', 'collecting'],
  IAB10: ['home', 'garden', 'furniture', 'kitchen', 'renovation', 'interior', 'diy', 'decor'],
  IAB11: ['election', 'government', 'minister', 'parliament', 'law', 'court', 'policy', 'president', 'senate', 'vote', 'politics'],
  IAB12: ['breaking', 'news', 'report', 'reported', 'headline', 'journalist'],
  IAB13: ['bank', 'loan', 'mortgage', 'savings', 'invest', 'investing', 'pension', 'tax', 'taxes', 'credit', 'insurance', 'stocks'],
  IAB14: ['society', 'community', 'wedding', 'dating', 'relationship', 'culture', 'social'],
  IAB15: ['science', 'research', 'scientists', 'climate', 'space', 'physics', 'biology', 'nasa', 'study', 'planet', 'astronomy'],
  IAB16: ['pet', 'pets', 'dog', 'dogs', 'cat', 'cats', 'puppy', 'kitten', 'vet'],
  IAB17: ['sport', 'sports', 'football', 'soccer', 'tennis', 'basketball', 'match', 'league', 'goal', 'cup', 'olympics', 'player', 'coach', 'team'],
  IAB18: ['fashion', 'style', 'dress', 'clothing', 'shoes', 'beauty', 'makeup', 'designer', 'jewelry'],
  IAB19: ['technology', 'software', 'computer', 'smartphone', 'app', 'ai', 'internet', 'laptop', 'programming', 'cloud', 'startup', 'gadget'],
  IAB20: ['travel', 'hotel', 'flight', 'flights', 'vacation', 'holiday', 'beach', 'tourism', 'airline', 'trip', 'destination'],
  IAB21: ['apartment', 'rent', 'housing', 'property', 'realtor', 'estate', 'mortgage'],
  IAB22: ['shopping', 'sale', 'discount', 'deal', 'deals', 'buy', 'store', 'coupon', 'black', 'friday'],
  IAB23: ['religion', 'church', 'faith', 'prayer', 'spiritual', 'god', 'mosque', 'temple'],
  'IAB25-2': ['killed', 'murder', 'shooting', 'massacre', 'gore', 'bloodshed', 'beheading', 'stabbing', 'terror', 'terrorist', 'attack'],
  'IAB25-3': ['porn', 'pornography', 'xxx', 'nude', 'explicit'],
  'IAB25-4': ['fuck', 'shit', 'bitch', 'asshole'],
  'IAB25-5': ['racist', 'hate', 'slur', 'supremacist', 'nazi'],
  IAB26: ['drugs', 'cocaine', 'heroin', 'piracy', 'counterfeit', 'trafficking'],
}

export const MIN_HITS = 2

const index = new Map<string, string[]>()
for (const [cat, words] of Object.entries(keywords)) {
  for (const w of words) index.set(w, [...(index.get(w) ?? []), cat])
}

function isBrandSafety(cat: string): boolean {
  return cat.startsWith('IAB25') || cat.startsWith('IAB26')
}

/** Categories the words suggest, most hits first (ties by id), each with the words that matched. */
export function inferCategories(words: Iterable<string>): { category: string; words: string[] }[] {
  const hits = new Map<string, Set<string>>()
  for (const w of words) {
    for (const cat of index.get(w) ?? []) {
      const set = hits.get(cat) ?? new Set<string>()
      if (set.size === 0) hits.set(cat, set)
      set.add(w)
    }
  }
  return [...hits]
    .filter(([cat, set]) => set.size >= (isBrandSafety(cat) ? 1 : MIN_HITS))
    .sort((x, y) => y[1].size - x[1].size || x[0].localeCompare(y[0]))
    .map(([category, set]) => ({ category, words: [...set].sort() }))
}

/** Infers from free text (tokenized here). */
export function inferFromText(text: string): { category: string; words: string[] }[] {
  return inferCategories(tokenize(text))
}

/** True when `category` is `target` or one of its subcategories (IAB17-44 is within IAB17). */
export function within(category: string, target: string): boolean {
  return category === target || category.startsWith(`${target}-`)
}

/** A readable name of a category (the tier-1 name for an unnamed subcategory). */
export function categoryName(category: string): string {
  return categoryNames[category] ?? categoryNames[category.split('-')[0] as string] ?? category
}
