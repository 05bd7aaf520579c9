require('node:stream/web')
