# The ruby runner started ahead of the submission (sandboxes/prestart/serve; runner/test with
# SANDBOX_PRESTART): before any file of the run exists, this process loads Minitest and our reporter,
# and forks first a child for RSpec (apart: RSpec's global `describe` would take Minitest's specs'
# `describe`, and Minitest's expectations are not in RSpec's process in runner/test either). That
# child loads RSpec only when the host asks for a warm-up (a CPU is free of runs: the line `warm`) or
# when the run has spec files, so a backlog of Minitest suites never pays for it (runner/test loads
# it only for specs too). Then this process waits for the go on stdin (lines: `warm`; `go` = the
# files are in /work/code) and does what runner/test does: the Minitest files in a child forked from this process,
# then the RSpec specs in the RSpec child, each writing its JUnit report, merged into
# /work/out/junit.xml. The container serves one run: nothing loaded here ever sees a second
# submission.
#
# Never `minitest/autorun` here (its at_exit hook belongs in the process that runs the tests).
# /work/code joins the load path after the go, in the order of runner/test's -I options.
# Started as `ruby --disable-gems` (runner/test): the compile cache first, then RubyGems as a plain
# start would load it (runner/iseq.rb).
require_relative 'iseq'
RUNNER = File.expand_path(__dir__)
CODE = '/work/code'
RUN = '/work/.run'
OUT = '/work/out/junit.xml'
LOAD_PATH = ["#{CODE}/lib", CODE, "#{CODE}/test", "#{CODE}/spec"].freeze
require_relative 'junit_xml'
require 'stringio'

# The RSpec child. On its pipe: `W` (a warm-up: load RSpec now), then `L` and the list of spec
# files (NUL-separated) up to the end; it loads RSpec (if not yet) only for a list that is not empty.
# Its stdout joins the log (our stderr); its stderr comes to this process (kept in rspec.log too).
spec_list_r, spec_list_w = IO.pipe
spec_list_w.sync = true
rspec_log_r, rspec_log_w = IO.pipe
rspec_pid = fork do
  spec_list_w.close
  rspec_log_r.close
  $stdin.reopen(File::NULL)
  $stdout.reopen($stderr)
  $stderr.reopen(rspec_log_w)
  rspec_log_w.close
  rspec_loaded = false
  load_rspec = lambda do
    next if rspec_loaded

    require 'rspec/core'
    require 'rspec/expectations'
    require 'rspec/mocks'
    require 'rspec/core/formatters/documentation_formatter'
    rspec_loaded = true
  end
  loop do
    c = spec_list_r.read(1)
    exit!(0) if c.nil?
    break if c == 'L'

    load_rspec.call if c == 'W'
  end
  files = spec_list_r.read.split("\0")
  spec_list_r.close
  exit!(0) if files.empty?
  load_rspec.call
  Dir.chdir(CODE)
  $LOAD_PATH.unshift(*LOAD_PATH)
  ARGV.replace(["#{RUN}/rspec.xml", *files])
  load "#{RUNNER}/rspec_run.rb"
end
spec_list_r.close
rspec_log_w.close

require 'minitest'
require 'minitest/spec'
require 'minitest/mock'

loop do
  line = $stdin.gets
  exit!(125) if line.nil?
  line = line.strip
  break if line == 'go'
  exit!(125) unless line == 'warm'
  begin
    spec_list_w.write('W')
  rescue SystemCallError
    # the RSpec child is gone (its log says why)
  end
end
$stdin.reopen(File::NULL)

begin
  Dir.chdir(CODE)
rescue SystemCallError
  exit!(125)
end
Dir.mkdir(RUN) unless Dir.exist?(RUN)
Dir.mkdir(File.dirname(OUT)) unless Dir.exist?(File.dirname(OUT))

def error_report(name, file, report, suite)
  system("#{RUNNER}/error-report.sh", name, file, report, suite)
end

# The same lists as runner/test's globs (sorted, no dot files).
mt = Dir.glob('test/**/*_test.rb') + Dir.glob('test/**/test_*.rb')
mt = Dir.glob('*_test.rb') + Dir.glob('test_*.rb') if mt.empty?
specs = Dir.glob('spec/**/*_spec.rb')
if mt.empty? && specs.empty?
  text = "no tests found (expected test/**/*_test.rb or spec/**/*_spec.rb)\n"
  File.write("#{RUN}/none.txt", text)
  $stderr.write(text)
  error_report('no tests', "#{RUN}/none.txt", OUT, 'ruby')
  exit!(1)
end

# Copies a child's stderr to our stderr and to its log file until it closes; its exit code.
def tee_and_wait(pid, from, log)
  File.open(log, 'wb') do |f|
    loop do
      chunk = from.readpartial(65_536)
      f.write(chunk)
      $stderr.write(chunk)
    rescue EOFError
      break
    end
  end
  from.close
  _, status = Process.wait2(pid)
  status.exitstatus || (128 + status.termsig.to_i)
end

rc = 0
unless mt.empty?
  r, w = IO.pipe
  pid = fork do
    r.close
    spec_list_w.close
    rspec_log_r.close
    $stdout.reopen($stderr)
    $stderr.reopen(w)
    w.close
    $LOAD_PATH.unshift(*LOAD_PATH)
    ARGV.replace(["#{RUN}/minitest.xml", *mt])
    load "#{RUNNER}/minitest_run.rb"
  end
  w.close
  code = tee_and_wait(pid, r, "#{RUN}/minitest.log")
  rc = code unless code.zero?
  error_report('minitest', "#{RUN}/minitest.log", "#{RUN}/minitest.xml", 'minitest') unless File.size?("#{RUN}/minitest.xml")
end
begin
  spec_list_w.write("L#{specs.join("\0")}")
rescue SystemCallError
  # the RSpec child is gone (its log says why)
end
spec_list_w.close
if specs.empty?
  rspec_log_r.close
  Process.wait(rspec_pid)
else
  code = tee_and_wait(rspec_pid, rspec_log_r, "#{RUN}/rspec.log")
  rc = code unless code.zero?
  error_report('rspec', "#{RUN}/rspec.log", "#{RUN}/rspec.xml", 'rspec') unless File.size?("#{RUN}/rspec.xml")
end

out = +%(<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n)
%w[minitest rspec].each do |kind|
  f = "#{RUN}/#{kind}.xml"
  next unless File.size?(f)

  lines = File.binread(f).lines
  lines.shift if lines.first&.start_with?('<?xml')
  out << lines.join
end
out << "</testsuites>\n"
File.binwrite(OUT, out)
$stdout.flush
$stderr.flush
exit!(rc)
