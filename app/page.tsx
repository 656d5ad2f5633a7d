export default function Home() {
  return <main><h1>Briefing workspace</h1></main>;
}
