import { PGlite } from '@electric-sql/pglite';
for (let i=0;i<4;i++){ let t=Date.now(); const db = await PGlite.create(); console.log('create ms', Date.now()-t); await db.close(); }
