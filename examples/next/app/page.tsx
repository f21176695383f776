import { save, savedCount } from './actions.ts'

export const dynamic = 'force-dynamic'

export default async function Home() {
  return (
    <main>
      <h1>@cors/next example</h1>
      <p id="saved">saved: {await savedCount()}</p>
      <form action={save}>
        <input name="note" defaultValue="hello" />
        <button type="submit">Save</button>
      </form>
    </main>
  )
}
