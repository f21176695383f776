export default function Home() {
  return <h1>@cors/next on Next 15</h1>
}
