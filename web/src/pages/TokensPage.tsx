import { PageTitle } from '../components/common.js';
export function TokensPage() {
  return (
    <>
      <PageTitle title="TokensPage" />
      <h1>TokensPage</h1>
    </>
  );
}
