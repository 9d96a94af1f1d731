import { PageTitle } from '../components/common.js';
export function CasePage() {
  return (
    <>
      <PageTitle title="CasePage" />
      <h1>CasePage</h1>
    </>
  );
}
