// MongoDB users, created once by the mongo image at its first start
// (/docker-entrypoint-initdb.d, run as the root user). One user per store, allowed only
// on its own database: cri_<centre>_<service> for each service of each centre in
// CRI_CENTRES, cri_region_reporting for reporting, and a read-only auditor
// (`cri audit verify`). Passwords: one file per user in /run/secrets/mongo-users/<user>.
const fs = require("fs");
const dir = "/run/secrets/mongo-users";
const password = (user) => fs.readFileSync(`${dir}/${user}`, "utf8").trim();
const admin = db.getSiblingDB("admin");

function store(name) {
  if (!admin.getUser(name)) {
    admin.createUser({user: name, pwd: password(name),
                      roles: [{role: "readWrite", db: name}]});
  }
}

const centres = (process.env.CRI_CENTRES || "").split(",").filter((c) => c);
for (const centre of centres) {
  for (const service of ["intake", "pathway", "partners"]) store(`cri_${centre}_${service}`);
}
if (process.env.CRI_REGION === "1") store("cri_region_reporting");
if (!admin.getUser("cri_auditor")) {
  admin.createUser({user: "cri_auditor", pwd: password("cri_auditor"),
                    roles: [{role: "readAnyDatabase", db: "admin"}]});
}
