export function NotFound() {
  return (
    <section class="page">
      <h1>Not found</h1>
      <p><a href="/websites">Back to your websites</a></p>
    </section>
  );
}
