// A consumer of the packed tarball: lists one customer's tokens from the server whose origin
// is the first argument, and prints them as JSON.
import { type CustomerToken, createRecurringPaymentsClient } from "recurring-payments-client";

// Declared here so that the consumer type-checks without @types/node, as a browser-free app may.
declare const process: { argv: string[] };

const baseUrl = process.argv[2];
const client = createRecurringPaymentsClient({ apiKey: "consumer-key", baseUrl });
const tokens: CustomerToken[] = await client.customerTokens.list("cust-0001");
console.log(JSON.stringify(tokens));
