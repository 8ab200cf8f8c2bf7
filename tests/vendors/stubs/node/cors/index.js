// A stand-in for cors (the viaSocket sample requires it and never calls it).
"use strict";
module.exports = () => (req, res, next) => next();
