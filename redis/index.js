// n8n loads the nodes and credentials listed in package.json's "n8n" field; this file only
// gives the package an entry point.
module.exports = {};
