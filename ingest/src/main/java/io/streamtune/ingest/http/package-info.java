/**
 * The upload API: single and batch uploads, manual training requests, dataset stats, bearer-token
 * auth.
 */
package io.streamtune.ingest.http;
