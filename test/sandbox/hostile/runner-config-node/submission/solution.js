module.exports.solve = () => 0;
