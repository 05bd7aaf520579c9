import middy from '@middy/core';
import h from '@middy/http-header-normalizer';
export const handler = middy().use(h()).handler(async () => 1);
