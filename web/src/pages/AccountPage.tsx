import { PageTitle } from '../components/common.js';
export function AccountPage() {
  return (
    <>
      <PageTitle title="AccountPage" />
      <h1>AccountPage</h1>
    </>
  );
}
