// `npm run build`: builds both apps (Next 16 and Next 15) unless their last build is fresh.
import { apps, build } from './apps.ts'

for (const app of Object.values(apps)) {
  const seconds = await build(app)
  console.log(
    seconds === 0 ? `${app.name}: up to date` : `${app.name}: next build took ${seconds.toFixed(1)} s`,
  )
}
