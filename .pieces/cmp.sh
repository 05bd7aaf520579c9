# usage: cmp.sh N file1 file2 ... ; interleaved runs, medians
N=$1; shift
declare -A acc
for i in $(seq $N); do for f in "$@"; do
 v=$(PII_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx PUBLIC_URL=https://x TABLE_NAME=t AWS_REGION=eu-west-1 NODE_NO_WARNINGS=1 node -e "const t=process.hrtime.bigint();import('$f').then(()=>console.log(Number(process.hrtime.bigint()-t)/1e6))")
 acc[$f]="${acc[$f]} $v"
done; done
for f in "$@"; do echo "$(basename $f) $(echo ${acc[$f]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')"; done
