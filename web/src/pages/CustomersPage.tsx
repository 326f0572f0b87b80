// The organisation's customers: search, filters, sort and keyset "load more".
export function CustomersPage() {
  return <div className="page"><h1>Customers</h1></div>;
}
