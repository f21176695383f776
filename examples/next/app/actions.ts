'use server'

let saved = 0

/** A Server Action: the form on the home page posts to it. */
export async function save(form: FormData): Promise<void> {
  if (typeof form.get('note') === 'string') saved++
}

export async function savedCount(): Promise<number> {
  return saved
}
